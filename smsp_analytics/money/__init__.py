"""Money: renting (consent, quote checks, reconciling), downloads kept on disk, and the
rental journal that makes a lost answer settleable.
"""
