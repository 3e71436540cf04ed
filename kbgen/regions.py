"""Written pages: kbgen owns the front matter and the region between its markers; the
rest of the file belongs to the person who edits it and is kept byte for byte.

A written page looks like this:

    ---                              <- front matter: kbgen's (first line after `---`
    # kbgen: …                          is the tag that says so)
    title: …
    ---
    (anything written here is kept)
    <!-- kbgen:begin … -->            <- generated region
    …
    <!-- kbgen:end -->
    (anything written here is kept: notes)

A file whose markers were edited, deleted, duplicated or reordered by hand is not
touched: the caller gets a `RegionError` that says what is wrong and what to do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .render.renderer import BEGIN, END, FRONT_MATTER_TAG

# Found anywhere, not only at a line start: text typed on a marker's line is the user's.
_BEGIN_RE = re.compile(r"<!-- kbgen:begin\b[^\n]*?-->")
_END_RE = re.compile(r"<!-- kbgen:end -->")
_ANY_MARKER = re.compile(r"kbgen:(begin|end)\b")


class RegionError(Exception):
    """The file's markers are not as kbgen wrote them; the file is left alone."""


class NoMarkers(RegionError):
    """The file has no kbgen markers at all: kbgen did not write it."""


@dataclass(slots=True)
class Parts:
    front: str  # kbgen's front matter, `---` to `---\n` inclusive
    head: str  # the user's text between the front matter and the begin marker
    region: str  # begin marker line to end marker line, inclusive of its newline
    tail: str  # the user's text after the end marker


def split(text: str, user_front: bool = False) -> Parts:
    """Split a page kbgen wrote (and a person may have edited) into its parts. With
    `user_front`, front matter without kbgen's tag is the user's (pages kbgen was applied
    to) and stays in the head."""
    front, rest = _split_front(text, user_front)
    begins = list(_BEGIN_RE.finditer(rest))
    ends = list(_END_RE.finditer(rest))
    if not begins and not ends:
        if _ANY_MARKER.search(rest):
            raise RegionError("its kbgen:begin/kbgen:end markers were edited")
        raise NoMarkers("it has no kbgen markers, so it was not written by kbgen (or they were deleted)")
    if len(begins) != 1 or len(ends) != 1:
        raise RegionError(f"it has {len(begins)} kbgen:begin and {len(ends)} kbgen:end markers; exactly one of each is expected")
    begin, end = begins[0], ends[0]
    if end.start() < begin.start():
        raise RegionError("its kbgen:end marker comes before kbgen:begin")
    if len(_ANY_MARKER.findall(rest)) != 2:
        raise RegionError("it mentions kbgen:begin/kbgen:end outside the two marker lines")
    stop = end.end()
    if rest[stop:stop + 1] == "\n":
        stop += 1
    return Parts(front=front, head=rest[:begin.start()], region=rest[begin.start():stop], tail=rest[stop:])


def _split_front(text: str, user_front: bool = False) -> tuple[str, str]:
    """(kbgen's front matter or "", the rest). Untagged front matter is an error, or with
    `user_front` the user's, left in the rest."""
    front, rest = split_front_matter(text)
    if not front and text.startswith(f"---\n{FRONT_MATTER_TAG}\n"):
        # kbgen's front matter whose closing `---` line was edited: where it ends is unknown.
        raise RegionError("its front matter is not closed: the '---' line after it was edited")
    if not front or front.startswith(f"---\n{FRONT_MATTER_TAG}\n"):
        return front, rest
    if user_front:
        return "", text
    raise RegionError(f"its front matter no longer starts with the line '{FRONT_MATTER_TAG}'")


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter block or "", the rest) of any page."""
    if text.startswith("---\n"):
        close = text.find("\n---\n", 3)
        if close >= 0:
            return text[:close + 5], text[close + 5:]
    return "", text


def merge(existing: str | None, generated: str) -> str:
    """The page to write: `generated` (a whole page as the renderer makes it) with the
    user's parts of `existing` put back. Raises RegionError when `existing` cannot be
    split safely."""
    if existing is None:
        return generated
    old = split(existing)
    new = split(generated)
    return new.front + old.head + new.region + old.tail


def generated_part(text: str) -> str:
    """The bytes kbgen owns in a page: what staleness is judged on."""
    parts = split(text)
    return parts.front + parts.region


__all__ = ["BEGIN", "END", "RegionError", "merge", "split", "generated_part"]
