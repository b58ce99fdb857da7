"""Reading decision files (generator/decisions.py)."""

import copy
from pathlib import Path

from generator import decisions

FIXTURE = Path(__file__).parent / "fixtures" / "natural-person"


def test_records_read_alike_share_one_fields_set_and_stay_independent():
    paths = sorted((FIXTURE / "content").glob("*/decisions/**/*.yaml"))
    assert len(paths) >= 2
    read = [decisions.read_one(FIXTURE, p, 2_000_000)[0] for p in paths]
    first = read[0]
    before = [copy.deepcopy(d.model_dump()) for d in read]
    shared: dict = {}
    for d in read:
        decisions.share_fields_set(d, shared)
    # Each distinct set of names is kept once, and every record holds the kept one.
    for d in read:
        assert d.__pydantic_fields_set__ is shared[frozenset(d.model_fields_set)]
    models = [m for d in read for m in (d, *(v for v in d.__dict__.values() if hasattr(v, "model_fields_set")))]
    assert len({id(m.__pydantic_fields_set__) for m in models}) == len(shared) < len(models)
    assert first.party.__pydantic_fields_set__ is shared[frozenset(first.party.model_fields_set)]
    # A masked copy (public.py) adds to its own set, never to the one the others share.
    masked = first.model_copy(update={"facts": "某某"})
    assert masked.facts == "某某"
    assert [d.model_dump() for d in read] == before
    assert "facts" in masked.model_fields_set and masked.__pydantic_fields_set__ is not first.__pydantic_fields_set__
