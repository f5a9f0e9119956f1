"""Read typed records off a finished ``Doc``: the last step that knows about spaCy."""

from __future__ import annotations

from spacy.tokens import Doc

from kg.article import Article
from kg.pipeline.doc import ANAPHORS, ARTICLE_ROLES, ents_of, mention_key, span_text, span_value, spans_of
from kg.records import Anaphor, ArticleInfo, Entity, EntityType, Extraction, Mention, local_key


def read_doc(doc: Doc, article: Article) -> Extraction:
    """Mentions, entities and article facts from a ``Doc`` the pipeline has finished."""
    names: dict[str, tuple[str, EntityType, str | None]] = {}  # key -> (label, type, QID)
    mentions: list[Mention] = []
    by_span: dict[tuple[int, int], str] = {}
    kb_labels = doc._.kg_labels
    for ent in ents_of(doc):
        key = mention_key(ent)
        surface = span_text(ent)  # ent.text makes a Token per token
        name = kb_labels.get(ent.kb_id_) or ent.id_ or surface
        held = names.get(key)
        if held is None or (not ent.kb_id_ and _better_label(name, held[0])):
            names[key] = (name, EntityType(ent.label_), ent.kb_id_ or None)
        confidence = span_value(ent, "kg_confidence")
        mentions.append(Mention(ent.start_char, ent.end_char, surface, key, 1.0 if confidence is None else confidence))
        by_span[(ent.start_char, ent.end_char)] = key
    roles: dict[str, list[str]] = {"publisher": [], "author": [], "editor": [], "location": []}
    for span in spans_of(doc, ARTICLE_ROLES):
        held_key = by_span.get((span.start_char, span.end_char))
        holders = roles.get(span.label_)  # photo credits ("credit_org", "credit_per") are mentions, not the byline
        if held_key is not None and holders is not None and held_key not in holders:
            holders.append(held_key)
    if not roles["publisher"] and article.publisher:  # the outlet the source names, when the text names none
        key = local_key(EntityType.ORG, article.publisher)
        names.setdefault(key, (article.publisher, EntityType.ORG, None))
        roles["publisher"].append(key)
    entities = tuple(
        Entity(key=key, label=name, type=entity_type, qid=qid, label_lang="en" if qid else article.lang)
        for key, (name, entity_type, qid) in sorted(names.items())
    )
    info = ArticleInfo(
        id=article.id,
        text=article.text,
        lang=article.lang,
        headline=article.title or doc._.kg_headline,
        section=doc._.kg_section,
        published=article.published,
        url=article.url,
        extracted_from=article.extracted_from,
        extracted_from_input=article.extracted_from_input,
        publisher_key=next(iter(roles["publisher"]), None),
        author_keys=tuple(roles["author"]),
        editor_keys=tuple(roles["editor"]),
        location_key=next(iter(roles["location"]), None),
    )
    anaphors = tuple(
        Anaphor(span.start_char, span.end_char, span_text(span), key, span_value(span, "kg_confidence") or 1.0)
        for span in spans_of(doc, ANAPHORS)
        if (key := mention_key(span)) in names  # the entity was named in the article
    )
    return Extraction(
        article=info,
        entities=entities,
        mentions=tuple(mentions),
        statements=tuple(doc._.kg_statements),
        events=tuple(doc._.kg_events),
        roles=tuple(doc._.kg_roles),
        anaphors=anaphors,
    )


def _better_label(candidate: str, current: str) -> bool:
    """Prefer the longer name, then mixed case over capitals ("Tribunnews.com" over "TRIBUNNEWS.COM")."""
    rank = lambda name: (len(name), name != name.upper(), name)  # noqa: E731
    return rank(candidate) > rank(current)
