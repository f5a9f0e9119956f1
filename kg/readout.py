"""Read typed records off a finished ``Doc``: the last step that knows about spaCy."""

from __future__ import annotations

import hashlib

from spacy.tokens import Doc

from kg.article import Article
from kg.normalize import fold, slug
from kg.pipeline.layout import ARTICLE_ROLES
from kg.records import ArticleInfo, Entity, EntityType, Extraction, Mention


def local_key(entity_type: EntityType, name: str) -> str:
    """Key of an unlinked entity: the same name and type give the same key on every run."""
    readable = slug(name.removeprefix("www."))
    return f"{entity_type.value}:{readable or hashlib.sha1(fold(name).encode()).hexdigest()[:12]}"


def read_doc(doc: Doc, article: Article) -> Extraction:
    """Mentions, entities and article facts from a ``Doc`` the pipeline has finished."""
    labels: dict[str, tuple[str, EntityType, str | None]] = {}
    mentions: list[Mention] = []
    by_span: dict[tuple[int, int], str] = {}
    for ent in doc.ents:
        entity_type = EntityType(ent.label_)
        name = ent.id_ or ent.text
        key = ent.kb_id_ or local_key(entity_type, name)
        held = labels.get(key)
        if held is None or _better_label(name, held[0]):
            labels[key] = (name, entity_type, ent.kb_id_ or None)
        confidence = ent._.kg_confidence
        mentions.append(Mention(ent.start_char, ent.end_char, ent.text, key, 1.0 if confidence is None else confidence))
        by_span[(ent.start_char, ent.end_char)] = key
    entities = tuple(
        Entity(key=key, label=name, type=entity_type, qid=qid, label_lang=None if qid else article.lang)
        for key, (name, entity_type, qid) in sorted(labels.items())
    )
    roles: dict[str, list[str]] = {"publisher": [], "author": [], "editor": [], "location": []}
    for span in doc.spans.get(ARTICLE_ROLES, []):
        key = by_span.get((span.start_char, span.end_char))
        if key is not None and key not in roles[span.label_]:
            roles[span.label_].append(key)
    info = ArticleInfo(
        id=article.id,
        text=article.text,
        lang=article.lang,
        headline=doc._.kg_headline,
        section=doc._.kg_section,
        published=article.published,
        url=article.url,
        publisher_key=next(iter(roles["publisher"]), None),
        author_keys=tuple(roles["author"]),
        editor_keys=tuple(roles["editor"]),
        location_key=next(iter(roles["location"]), None),
    )
    return Extraction(article=info, entities=entities, mentions=tuple(mentions))


def _better_label(candidate: str, current: str) -> bool:
    """Prefer the longer name, then mixed case over capitals ("Tribunnews.com" over "TRIBUNNEWS.COM")."""
    rank = lambda name: (len(name), name != name.upper(), name)  # noqa: E731
    return rank(candidate) > rank(current)
