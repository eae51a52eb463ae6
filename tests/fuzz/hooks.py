"""Schemathesis hooks for `make fuzz` (loaded through SCHEMATHESIS_HOOKS by tests/fuzz/run.sh)."""

import schemathesis

# Schemathesis has no serializer of its own for workbook bodies (it stops the operation with
# "Serialization not possible"); they are bytes like any upload, so send them the way it sends
# application/octet-stream.
schemathesis.serializer.alias(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream",
)


# Random path parameters almost never name a course, unit or enrollment that exists, so most
# operations would only ever answer 404. Half of the generated path parameters are replaced by
# identifiers of the seeded demo data (listed by run.sh in $FUZZ_KNOWN_IDS), so the handlers
# behind the look-ups are fuzzed too.
import json
import os

from hypothesis import strategies as st

_KNOWN = {}
if os.environ.get("FUZZ_KNOWN_IDS"):
    with open(os.environ["FUZZ_KNOWN_IDS"], encoding="utf-8") as file:
        _KNOWN = json.load(file)

_ID_KINDS = {
    "business-accounts": "account",
    "teacher-requests": "account",
    "teachers": "account",
    "enrollments": "enrollment",
    "attachments": "attachment",
    "amendments": "amendment",
    "tags": "tag",
}


def _kind(path, name):
    segments = path.strip("/").split("/")
    if name == "code":
        first = segments[2] if len(segments) > 2 else ""
        return {"courses": "course", "favourites": "course", "units": "unit", "transcripts": "transcript"}.get(
            segments[3] if first == "me" and len(segments) > 3 else first
        )
    if name == "id":
        position = segments.index("{id}") if "{id}" in segments else 0
        return _ID_KINDS.get(segments[position - 1]) if position else None
    return None


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    operation = context.operation
    if operation is None or not isinstance(path_parameters, dict) or not path_parameters:
        return st.just(path_parameters)
    known = {}
    for name in path_parameters:
        pool = _KNOWN.get(_kind(operation.path, name) or "")
        if pool:
            known[name] = st.sampled_from(pool)
    if not known:
        return st.just(path_parameters)
    replaced = {name: st.just(value) for name, value in path_parameters.items()}
    replaced.update(known)
    return st.one_of(st.just(path_parameters), st.fixed_dictionaries(replaced))
