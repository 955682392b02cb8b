"""Money: renting (consent, quote checks), reconciling, downloads kept on disk, and the
rental journal that makes a lost answer settleable. Each is a part of the client
(:class:`~.renting.Renting`, :class:`~.reconciling.Reconciler`, :class:`~.rentals.Downloads`)
that receives what it needs (:mod:`.context`, :class:`~.account_journal.AccountJournal`).
"""
