"""Send windows in French: holiday names from ``holidays``' French calendar, words in French."""

from __future__ import annotations

from datetime import datetime

import pytest

from smsp_analytics.campaign.sendwindows import check_rule, send_windows
from smsp_analytics.campaign.sendwindows_vendor import (
    SCHEDULE_YOURSELF,
    vendor_delivery,
    vendor_flags,
)
from smsp_analytics.i18n import _, use_lang


def test_holiday_names_follow_the_language():
    with use_lang("en"):
        en = send_windows(["57", "75"], "2026-04-03", days=3)
    with use_lang("fr"):
        fr = send_windows(["57", "75"], "2026-04-03", days=3)
    # the same windows, only the words differ
    assert en.drop(columns="reason").equals(fr.drop(columns="reason"))
    assert list(en["reason"]) == ["Good Friday", "", "Sunday", "", "", "Sunday"]
    assert list(fr["reason"]) == ["Vendredi saint", "", "dimanche", "", "", "dimanche"]
    assert (en.attrs["lang"], fr.attrs["lang"]) == ("en", "fr")


def test_overseas_and_platform_reasons_in_french():
    with use_lang("fr"):
        reunion = send_windows("974", "2025-12-20", days=1).iloc[0]
        assert reunion["reason"] == "Abolition de l'esclavage"
        christmas = send_windows("974", "2026-12-25", days=1).iloc[0]
        assert christmas["reason"] == "Noël"


def test_vendor_texts_in_french():
    with use_lang("fr"):
        flags = vendor_flags(send_windows(["75", "57", "971"], "2026-03-30", days=7))
        assert flags.loc[1, "detail"] == "ven. 3 avr. 2026, Vendredi saint, un jour férié local"
        assert flags.loc[2, "detail"] == (
            "heures du fournisseur 02:00-14:00 heure locale sur 5 des 6 jours; "
            "ven. 3 avr. 2026, Vendredi saint, un jour férié local"
        )
        d = vendor_delivery("75,971", datetime(2026, 11, 27, 22, 30))
        assert list(d["note"]) == ["", "avant 08:00 heure locale"]
        assert _(SCHEDULE_YOURSELF) == "programmez ces envois vous-même"
    with use_lang("en"):
        flags = vendor_flags(send_windows(["57"], "2026-03-30", days=7))
        assert flags.loc[0, "detail"] == "Fri 2026-04-03, Good Friday, a local holiday"


def test_errors_in_french_name_the_argument():
    with use_lang("fr"), pytest.raises(ValueError, match=r"^rule : 'paris' n'est pas admis"):
        check_rule("paris")
    with use_lang("fr"), pytest.raises(ValueError, match=r"^days : 0 n'est pas admis"):
        send_windows("75", "2026-04-03", days=0)
    with use_lang("fr"), pytest.raises(ValueError, match=r"^departments : '99' n'est pas un code"):
        send_windows("99", "2026-04-03")
