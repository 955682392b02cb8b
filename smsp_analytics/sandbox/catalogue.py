"""The interest catalogue: main interests, sub-interests and their age/sex affinities.

Real ids (seen in the vendor's docs): 12 (name unknown), 14 Habitation, 35 Cuisine (child
of 14). Id 29 appears as a sub-interest of 12 in the vendor's own request example, so it is a
child of 12 here (name unknown, marked synthetic). Everything else is invented and marked
``synthetic``. Main ids are 10..22, sub ids 29..99: they never collide.

>>> c = catalogue()
>>> c.by_id[35].parent, c.by_id[35].synthetic
(14, False)
>>> c.by_id[11].name
'Jeux vidéo'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np

__all__ = ["Interest", "Catalogue", "catalogue", "AGES"]

#: Ages modelled, by single year (the API accepts 18..98).
AGES = np.arange(18, 99)


@dataclass(frozen=True)
class Interest:
    """One interest. For a main interest ``parent`` is None.

    Affinity (share of the opt-in contacts of a given age and sex who have the interest):
    main: ``rate * exp(-((age - peak) / width)**2 / 2) * sex factor``;
    sub: the parent's affinity x ``rate`` x ``exp(age_slope * (age - 50) / 30)`` x sex
    factor, capped at the parent's (a sub-interest is a subset of its main interest).
    """

    id: int
    name: str
    synthetic: bool
    parent: int | None
    rate: float
    peak: float = 45.0
    width: float = 20.0
    male: float = 1.0  # multiplier for men; women get (2 - male) so the mean stays ~rate
    age_slope: float = 0.0


# (id, name, synthetic, rate, peak, width, male) for mains; why these shapes: README
# "The audience model" (plausible marketing profiles, not measured data).
_MAINS = [
    (10, "Sport", True, 0.34, 30, 17, 1.30),
    (11, "Jeux vidéo", True, 0.30, 22, 12, 1.50),
    (12, "Catégorie 12 (nom inconnu)", False, 0.25, 45, 25, 1.00),
    (13, "Mode/Beauté", True, 0.36, 30, 16, 0.45),
    (14, "Habitation", False, 0.40, 47, 13, 1.00),
    (15, "Voyages", True, 0.30, 50, 20, 0.95),
    (16, "Automobile", True, 0.26, 40, 18, 1.45),
    (17, "Famille/Enfants", True, 0.30, 36, 9, 0.75),
    (18, "Santé/Bien-être", True, 0.30, 60, 20, 0.80),
    (19, "High-tech", True, 0.26, 32, 15, 1.40),
    (20, "Finance/Épargne", True, 0.22, 58, 18, 1.10),
    (21, "Jardinage", True, 0.26, 65, 15, 1.05),
    (22, "Gastronomie", True, 0.30, 50, 22, 0.95),
]

# (id, parent, name, synthetic, share of parent, age_slope, male)
_SUBS = [
    (30, 10, "Football", True, 0.35, -0.3, 1.40),
    (31, 10, "Course à pied", True, 0.30, 0.0, 1.05),
    (32, 10, "Fitness", True, 0.35, -0.3, 0.80),
    (33, 10, "Sports d'hiver", True, 0.20, 0.1, 1.00),
    (34, 11, "Jeux sur console", True, 0.45, -0.2, 1.10),
    (36, 11, "Jeux sur PC", True, 0.35, 0.0, 1.20),
    (37, 11, "Jeux mobiles", True, 0.50, 0.3, 0.85),
    (29, 12, "Sous-catégorie 29 (nom inconnu)", True, 0.40, 0.0, 1.00),
    (38, 12, "Bons plans", True, 0.45, 0.1, 0.95),
    (39, 12, "Jeux-concours", True, 0.30, 0.2, 0.90),
    (40, 13, "Prêt-à-porter", True, 0.50, -0.1, 0.90),
    (41, 13, "Cosmétiques", True, 0.45, 0.0, 0.60),
    (42, 13, "Bijoux", True, 0.25, 0.1, 0.80),
    (43, 13, "Chaussures", True, 0.30, -0.1, 0.95),
    (35, 14, "Cuisine", False, 0.40, 0.1, 0.80),
    (44, 14, "Bricolage", True, 0.40, 0.0, 1.35),
    (45, 14, "Décoration", True, 0.35, -0.1, 0.70),
    (46, 14, "Ameublement", True, 0.30, -0.2, 0.95),
    (47, 15, "Séjours à la mer", True, 0.40, 0.0, 1.00),
    (48, 15, "Croisières", True, 0.15, 0.6, 0.95),
    (49, 15, "Week-ends", True, 0.40, -0.3, 1.00),
    (50, 15, "Voyages lointains", True, 0.25, 0.0, 1.00),
    (51, 16, "Voitures neuves", True, 0.35, 0.3, 1.10),
    (52, 16, "Voitures d'occasion", True, 0.45, -0.3, 1.00),
    (53, 16, "Deux-roues", True, 0.20, -0.3, 1.30),
    (54, 17, "Puériculture", True, 0.35, -0.4, 0.80),
    (55, 17, "Jouets", True, 0.40, 0.0, 0.90),
    (56, 17, "Scolarité", True, 0.35, 0.3, 0.90),
    (57, 18, "Produits bio", True, 0.40, 0.0, 0.85),
    (58, 18, "Minceur", True, 0.30, -0.2, 0.60),
    (59, 18, "Seniors", True, 0.25, 1.2, 0.95),
    (60, 19, "Téléphonie", True, 0.50, -0.2, 1.00),
    (61, 19, "Informatique", True, 0.40, 0.0, 1.20),
    (62, 19, "Photo", True, 0.20, 0.3, 1.10),
    (63, 19, "Audio", True, 0.25, -0.2, 1.10),
    (64, 20, "Assurance", True, 0.45, 0.2, 1.00),
    (65, 20, "Épargne", True, 0.45, 0.4, 1.00),
    (66, 20, "Immobilier", True, 0.30, -0.1, 1.05),
    (67, 21, "Potager", True, 0.45, 0.3, 1.05),
    (68, 21, "Fleurs", True, 0.40, 0.2, 0.80),
    (69, 21, "Outillage de jardin", True, 0.30, 0.0, 1.30),
    (70, 22, "Vins", True, 0.35, 0.3, 1.25),
    (71, 22, "Restaurants", True, 0.40, -0.3, 1.00),
    (72, 22, "Recettes", True, 0.40, 0.1, 0.75),
    (73, 22, "Produits du terroir", True, 0.30, 0.4, 1.00),
]


@dataclass(frozen=True)
class Catalogue:
    """The catalogue, with the affinity array of every interest (rows in ``index``)."""

    interests: tuple[Interest, ...]
    by_id: dict[int, Interest] = field(repr=False)
    index: dict[int, int] = field(repr=False)  # interest id -> row of ``affinity``
    affinity: np.ndarray = field(repr=False)  # [n_interests, 2 (h, f), len(AGES)]

    def children(self, parent: int) -> list[Interest]:
        """Sub-interests of a main interest, in id order."""
        return sorted((i for i in self.interests if i.parent == parent), key=lambda i: i.id)

    def as_json(self) -> list[dict]:
        """The categories answer: mains with their subCategories (README key order)."""
        return [
            {
                "id": m.id,
                "name": m.name,
                "synthetic": m.synthetic,
                "subCategories": [
                    {"id": s.id, "name": s.name, "synthetic": s.synthetic}
                    for s in self.children(m.id)
                ],
            }
            for m in sorted(self.interests, key=lambda i: i.id)
            if m.parent is None
        ]


def _main_affinity(i: Interest) -> np.ndarray:
    shape = i.rate * np.exp(-0.5 * ((AGES - i.peak) / i.width) ** 2)
    return np.clip(np.stack([shape * i.male, shape * (2.0 - i.male)]), 0.0, 0.95)


@cache
def catalogue() -> Catalogue:
    """The catalogue (built once per process; immutable by convention)."""
    interests: list[Interest] = [
        Interest(id_, name, synth, None, rate, peak, width, male)
        for id_, name, synth, rate, peak, width, male in _MAINS
    ]
    interests += [
        Interest(id_, name, synth, parent, share, male=male, age_slope=slope)
        for id_, parent, name, synth, share, slope, male in _SUBS
    ]
    by_id = {i.id: i for i in interests}
    assert len(by_id) == len(interests), "duplicate interest id"
    rows = []
    for i in interests:
        if i.parent is None:
            rows.append(_main_affinity(i))
        else:
            parent = _main_affinity(by_id[i.parent])
            tilt = np.exp(i.age_slope * (AGES - 50) / 30.0)
            sub = parent * i.rate * tilt * np.array([[i.male], [2.0 - i.male]])
            rows.append(np.minimum(sub, parent))  # a subset of the parent's audience
    affinity = np.stack(rows)
    affinity.setflags(write=False)
    return Catalogue(tuple(interests), by_id, {i.id: n for n, i in enumerate(interests)}, affinity)
