"""Streaming, safe XML for the TCX and GPX readers: memory bounded by one element.

:func:`stream` feeds the document to lxml's pull parser in chunks and yields
``(event, element, local name)``; after the caller has handled an ``end`` event the
element is cleared and its finished siblings dropped, so a 67 MiB GPX never exists as a
tree (it took 2.0 GB and 18 s as three full trees). No entities are resolved, nothing is
fetched from the network, and a document with a DTD (where entity bombs live) is refused.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Final

from lxml import etree

from stridelab.errors import XmlActivityError

__all__ = ["finite", "local", "stream"]

#: Bytes fed to the parser at a time.
_CHUNK_BYTES: Final = 1 << 20


def local(tag: object) -> str:
    """``{namespace}Trackpoint`` → ``Trackpoint``."""
    return str(tag).rsplit("}", 1)[-1]


def finite(text: str | None, what: str, name: str) -> float | None:
    """The number in ``text`` (None when absent or not a number); NaN and ±inf are errors."""
    if text is None:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    if not math.isfinite(value):
        raise XmlActivityError(
            f"{what} is {text.strip()!r}, not a finite number",
            path=name,
            hint="The exporting app wrote an invalid value; export the activity again",
        )
    return value


def _syntax_error(exc: etree.XMLSyntaxError, name: str, kind: str) -> XmlActivityError:
    return XmlActivityError(
        f"malformed {kind} XML: {exc.msg}",
        path=name,
        hint="The file is damaged or truncated; export it again",
    )


def stream(
    data: bytes, name: str, kind: str, root: str, units: frozenset[str]
) -> Iterator[tuple[str, etree._Element, str]]:
    """``("start"|"end", element, local name)`` over ``data``, whose root must be ``root``.

    Raises :class:`XmlActivityError` for malformed XML, a DTD, or another root element.
    Elements named in ``units`` (``Trackpoint``, ``Lap``...) are cleared, with their
    finished siblings, once their ``end`` event has been handled: read what you need
    from such an element and its children before asking for the next event.
    """
    if not data.strip():
        raise XmlActivityError(f"empty {kind} file", path=name, hint="Export the activity again.")
    parser = etree.XMLPullParser(
        events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=True
    )
    seen_root = False
    try:
        for offset in range(0, len(data), _CHUNK_BYTES):
            parser.feed(data[offset : offset + _CHUNK_BYTES])
            for event, element in parser.read_events():
                if not isinstance(element, etree._Element):
                    continue  # start-ns / comment events are not asked for
                tag = local(element.tag)
                if not seen_root:
                    seen_root = True
                    if element.getroottree().docinfo.internalDTD is not None:
                        raise XmlActivityError(
                            "the document declares a DTD (entities are not allowed)",
                            path=name,
                            hint=f"This is not a {kind} file a watch or app writes",
                        )
                    if tag != root:
                        raise XmlActivityError(
                            f"root element is <{tag}>, not <{root}>",
                            path=name,
                            hint=f"This is not a {kind} file",
                        )
                yield str(event), element, tag
                if event == "end" and tag in units:
                    element.clear()
                    parent = element.getparent()
                    if parent is not None:
                        while element.getprevious() is not None:
                            del parent[0]
        parser.close()
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, name, kind) from None
