"""Name matching shared by the gazetteer and the territory lookup."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from rapidfuzz import fuzz, process

__all__ = ["closest", "normalize"]

_DROP = re.compile(r"[’'ʼ`´.\u2019]")
_SPACE = re.compile(r"[\s\-_/,]+")


def normalize(text: str) -> str:
    """Fold a place name for matching: no case, accents, apostrophes or hyphens.

    Parameters
    ----------
    text : str
        A name in any script.

    Returns
    -------
    str
        ``"Homyel'"`` → ``"homyel"``, ``"Biełaruś"`` → ``"bielarus"``,
        ``"Brest-Litovsk"`` → ``"brest litovsk"``; Cyrillic stays Cyrillic.

    Examples
    --------
    >>> normalize("Homyel'"), normalize("Biełaruś"), normalize("Brest-Litovsk")
    ('homyel', 'bielarus', 'brest litovsk')
    >>> normalize("Беларусь"), normalize("  ")
    ('беларусь', '')
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACE.sub(" ", _DROP.sub("", stripped.casefold())).strip()


def closest(
    query: str, keys: Sequence[str], labels: Sequence[str], *, limit: int = 5, cutoff: float = 70.0
) -> list[str]:
    """The labels whose keys are most like ``query`` (for "did you mean" suggestions).

    Whole-string similarity (``fuzz.QRatio``), not substring: "Gomel" must not
    suggest "Montgomery".

    Parameters
    ----------
    query : str
        What was typed.
    keys : sequence of str
        Normalized names (see :func:`normalize`), one per label.
    labels : sequence of str
        What to show for each key.
    limit : int, optional
        Most suggestions to return.
    cutoff : float, optional
        Lowest similarity (0–100) worth suggesting.

    Returns
    -------
    list of str
        Labels, best first, without duplicates.

    Examples
    --------
    >>> keys, labels = ["homyel", "montgomery", "minsk"], ["Homyel", "Montgomery", "Minsk"]
    >>> closest("Gomel", keys, labels)
    ['Homyel']
    >>> closest("Vilnus", ["vilnius", "vilnius", "vitebsk"], ["Vilnius", "Vilnius", "Vitebsk"])
    ['Vilnius']
    >>> closest("Gomel", [], [])
    []
    """
    hits = process.extract(
        normalize(query), keys, scorer=fuzz.QRatio, limit=limit * 4, score_cutoff=cutoff
    )
    out: list[str] = []
    for _key, _score, idx in hits:
        if labels[idx] not in out:
            out.append(labels[idx])
    return out[:limit]
