"""The vendor's error codes, their one French message each, and their HTTP status.

One table, read by every module that answers an error, so a message is written once.

>>> MESSAGES[10]
'Clé API incorrecte'
>>> http_status(10)
401
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["MESSAGES", "ACCOUNT_MESSAGES", "VendorError", "http_status", "error_body"]

# The vendor's "Location" error table, verbatim, typos included ("n'est pas autorisé",
# "Les paramètres Type est requis", "ne peux pas"): a client may match on the text, so the
# sandbox must not correct it. Codes 1 and 10 come from the rental pages. Checked against
# the contract's table by tests/contract/test_vendor_messages.py. Read-only on purpose: a
# module-level table must not be mutable shared state.
MESSAGES: Mapping[int, str] = MappingProxyType(
    {
        1: "La clé API est requise",
        3: "Le paramètre parameters est requis",
        4: "Le paramètre op est requis",
        5: "Le paramètre urlNotification n'est pas une URL valide",
        6: "Cette opération n'est pas autorisé",
        7: "Le paramètre sexe est requis",
        8: "Le paramètre sexe doit être uniquement m,h or f",
        9: "Le paramètre minAge est requis",
        10: "Clé API incorrecte",
        11: "Crédit insuffisant",
        12: "Le paramètre minAge doit être supérieur à 17",
        13: "Le paramètre maxAge est requis",
        14: "Le paramètre maxAge doit être inférieur à 99",
        15: "Le paramètre interest doit être supérieur à 0",
        16: "Le paramètre interest ne peut pas être vide",
        17: "Le paramètre subInterest ne doit pas être vide",
        18: "Le paramètre subInterest doit être supérieur à 0",
        19: "Les paramètres interest ou subInterest sont requis",
        22: "Le paramètre category ne doit pas être vide",
        23: "Le paramètre category doit être supérieur à 0",
        24: "Les paramètres Type est requis",
        25: "Le paramètre Localite est requis",
        26: "Le paramètre Volume est requis",
        27: "Le volume souhaité ne peut pas être supérieur au volume disponible",
        28: "Le paramètre DesiredVolume ne peux pas être supérieur au volume total",
        31: "Le paramètre token est requis",
        32: "La demande de location est introuvable",
        33: "Le fichier de location est introuvable",
        34: "Le fichier de location a déjà été utilisé",
        35: "Le fichier de location est en cours de téléchargement",
        36: "La location du fichier a échoué",
        61: "La requête semble invalide et n'a retourné aucun résultat",
        96: "L'IP n'est pas autorisée",
    }
)

# The account endpoints (STOP list, lookup, cost-resume: README "Account data") have their own
# table: the vendor's codes differ by family (3 is "parameters" for a rental, "numbers must be
# separated by a comma" for a lookup). 1 and 10 as in the contract; 2 and 3 the lookup page's
# (2 in the French words of the vendor's STOP and send pages; 3 in those of its error-code page,
# where the same sentence has code 19, hyphen included); 50 from the error-code page's
# "Vérification des numéros" table, like 96. 4 to 7 are the sandbox's own choice (cost-resume's
# parameter errors are undocumented), marked so in README.
ACCOUNT_MESSAGES: Mapping[int, str] = MappingProxyType(
    {
        1: "La clé API est requise",
        2: "Le numéro de téléphone est requis",
        3: "Les numéros doivent-être séparés par une virgule",
        4: "Le paramètre interval est requis",
        5: "Le paramètre interval doit être last_month, last_twelve_months ou custom",
        6: "Les paramètres from et to sont requis",
        7: "Les paramètres from et to doivent être des dates JJ-MM-AAAA",
        10: "Clé API incorrecte",
        50: "Le nombre de numéros autorisés est de 500 maxi",
        96: "L'IP n'est pas autorisée",
    }
)

# README "Transport": 400 by default, auth 401, IP 403, not found 404.
_HTTP_STATUS: Mapping[int, int] = MappingProxyType({1: 401, 10: 401, 96: 403, 32: 404, 33: 404})


class VendorError(Exception):
    """A vendor error: raised by the validation and answered as the error envelope.

    ``table``: the family's messages (``MESSAGES`` for the rental endpoints,
    ``ACCOUNT_MESSAGES`` for the account endpoints).

    >>> VendorError(8).code, VendorError(3, ACCOUNT_MESSAGES).message[:14]
    (8, 'Les numéros do')
    """

    def __init__(self, code: int, table: Mapping[int, str] = MESSAGES) -> None:
        if code not in table:  # a typo in a code must fail loudly in tests, not at a client
            raise ValueError(f"unknown vendor code {code}")
        super().__init__(code, table[code])
        self.code = code
        self.table = table

    @property
    def message(self) -> str:
        return self.table[self.code]


def http_status(code: int, errors_http_200: bool = False) -> int:
    """HTTP status sent with vendor error ``code`` (always 200 in the tolerant mode)."""
    if errors_http_200:
        return 200
    return _HTTP_STATUS.get(code, 400)


def error_body(code: int, table: Mapping[int, str] = MESSAGES) -> dict:
    """The error envelope, keys in the vendor's order.

    >>> error_body(1)
    {'success': False, 'code': 1, 'message': 'La clé API est requise'}
    """
    return {"success": False, "code": code, "message": table[code]}
