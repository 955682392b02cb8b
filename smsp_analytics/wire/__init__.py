"""The vendor's protocol: HTTP transport (retries, deadline, log redaction, streaming),
JSON/XML decoding, scalar reading and the request checks that mirror the API's own.
"""
