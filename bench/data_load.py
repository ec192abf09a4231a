"""Time to load every committed data file, cold (caches cleared before each run)."""

from __future__ import annotations

from bench.common import median_seconds, print_table
from geo import data

LOADERS = {
    "territories (analysis)": data.territories,
    "territories (display)": data.territories_display,
    "rivers": data.rivers,
    "countries": data.countries,
    "sites": data.sites,
}


def _cold(loader):
    def run():
        loader.cache_clear()
        return loader()

    return run


def main() -> None:
    rows = [[name, f"{median_seconds(_cold(fn)) * 1000:.0f} ms"] for name, fn in LOADERS.items()]

    def load_all_cold() -> None:
        for fn in LOADERS.values():
            fn.cache_clear()
        data.load_all()

    total = median_seconds(load_all_cold)
    rows.append(["**all data**", f"**{total * 1000:.0f} ms** (goal < 500 ms)"])
    print_table("Loading data/ (median of 5, cold)", ["file", "time"], rows)


if __name__ == "__main__":
    main()
