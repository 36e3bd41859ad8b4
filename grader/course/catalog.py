"""The course catalog (grader/course/catalog.toml) as frozen dataclasses."""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CATALOG_FILE = Path(__file__).with_name("catalog.toml")
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Track:
    id: str
    title: str


@dataclass(frozen=True)
class Topic:
    name: str
    track: str
    title: str
    hints: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    tracks: tuple[Track, ...]
    topics: tuple[Topic, ...]  # course order
    course_seed: str = "mlkatas"  # quiz variants derive from it: a new seed gives a class new numbers

    def topic(self, name: str) -> Topic:
        for topic in self.topics:
            if topic.name == name:
                return topic
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.topics)

    def resolve(self, text: str) -> str:
        """A topic name from what the user typed: exact, or a unique prefix. Raises UnknownTopic."""
        if text in self.names:
            return text
        matches = [n for n in self.names if n.startswith(text)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise UnknownTopic(f"'{text}' could be any of: {', '.join(matches)}")
        close = difflib.get_close_matches(text, self.names, n=3, cutoff=0.5)
        suggestion = f" Did you mean {' or '.join(close)}?" if close else ""
        raise UnknownTopic(f"there is no topic '{text}'.{suggestion} Run `grade list` to see them all.")

    def in_track(self, track_id: str) -> tuple[Topic, ...]:
        return tuple(t for t in self.topics if t.track == track_id)


class UnknownTopic(LookupError):
    pass


class CatalogError(ValueError):
    pass


@lru_cache(maxsize=None)
def load(path: Path = CATALOG_FILE) -> Catalog:
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    if data.get("format_version") != FORMAT_VERSION:
        raise CatalogError(f"{path}: format_version must be {FORMAT_VERSION}")
    tracks = tuple(Track(t["id"], t["title"]) for t in data.get("tracks", []))
    track_ids = {t.id for t in tracks}
    topics = []
    for entry in data.get("topics", []):
        topic = Topic(entry["name"], entry["track"], entry["title"], tuple(entry.get("hints", ())))
        if topic.track not in track_ids:
            raise CatalogError(f"{path}: topic {topic.name} names unknown track {topic.track}")
        if len(topic.hints) != 3:
            raise CatalogError(f"{path}: topic {topic.name} needs exactly 3 hints")
        topics.append(topic)
    names = [t.name for t in topics]
    if len(set(names)) != len(names):
        raise CatalogError(f"{path}: duplicate topic names")
    return Catalog(tracks, tuple(topics), str(data.get("course_seed", "mlkatas")))
