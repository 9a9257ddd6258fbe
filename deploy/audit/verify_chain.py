#!/usr/bin/env python3
"""Verify a case's hash chain independently of the service.

Usage: curl -s $API/cases/$CASE/events -H "Authorization: Bearer $AUDITOR" > events.json
       python3 deploy/audit/verify_chain.py events.json [--anchored REVISION:HEADHASH]

Each event's hash is SHA-256 (hex) over the previous event's hash (64 zeros for the first), a newline, and the
canonical JSON (keys sorted by UTF-16 code unit at every level, no whitespace, numbers as JavaScript prints them,
UTF-8) of {streamId, eventId, type, schemaVersion, data, metadata}. Events with "hashScheme": 2 put their
recordedAt and a newline between the two; events without hashScheme (or with 1) do not. --anchored checks the
history still reaches a head the service anchored (from GET /audit/cases/{id}/verify, "anchor"). Exit code 0
when the chain holds, 1 with the first broken link otherwise. See docs/audit-trail.md.
"""
import hashlib
import json
import math
import re
import sys
from decimal import Decimal

LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def js_number(value):
    """A number as JavaScript's JSON.stringify prints it (shortest round-trip digits, its exponent rules)."""
    if isinstance(value, int):
        return str(value) if abs(value) < 10**21 else js_number(float(value))
    if math.isnan(value) or math.isinf(value):
        return "null"
    if value == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    digits = "".join(map(str, digits)).lstrip("0")
    while digits.endswith("0"):
        digits, exponent = digits[:-1], exponent + 1
    k, n = len(digits), exponent + len(digits)
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
        text = f"{mantissa}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"
    return ("-" if sign else "") + text


def js_string(text):
    encoded = json.dumps(text, ensure_ascii=False)
    return LONE_SURROGATE.sub(lambda m: "\\u%04x" % ord(m.group()), encoded)


def canonical(value):
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, str):
        return js_string(value)
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    keys = sorted(value, key=lambda k: k.encode("utf-16-be", "surrogatepass"))
    return "{" + ",".join(js_string(k) + ":" + canonical(value[k]) for k in keys) + "}"


def sha256(text):
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def verify(events, anchored=None):
    prev = "0" * 64
    scheme = 1
    for expected_revision, event in enumerate(events):
        if event["revision"] != expected_revision:
            return f"BROKEN at revision {expected_revision}: revision gap (found {event['revision']})"
        payload = canonical({
            "streamId": event["streamId"],
            "eventId": event["eventId"],
            "type": event["type"],
            "schemaVersion": event["schemaVersion"],
            "data": event["data"],
            "metadata": event["metadata"],
        })
        event_scheme = event.get("hashScheme") or 1
        if event_scheme not in (1, 2):
            return f"BROKEN at revision {event['revision']}: unknown hash scheme {event_scheme}"
        if event_scheme < scheme:
            return f"BROKEN at revision {event['revision']}: hash scheme {event_scheme} after scheme {scheme}"
        scheme = event_scheme
        text = prev + "\n" + (event["recordedAt"] + "\n" if scheme == 2 else "") + payload
        digest = sha256(text)
        if event["prevHash"] != prev:
            return f"BROKEN at revision {event['revision']}: previous hash {event['prevHash']} should be {prev}"
        if event["hash"] != digest:
            return f"BROKEN at revision {event['revision']}: hash {event['hash']} should be {digest}"
        prev = digest
    if anchored:
        revision, head = anchored
        if revision >= len(events):
            return f"BROKEN at revision {len(events)}: head deleted (anchored up to revision {revision})"
        if events[revision]["hash"] != head:
            return f"BROKEN at revision {revision}: hash {events[revision]['hash']} is not the anchored {head}"
    return None


def main():
    args = sys.argv[1:]
    anchored = None
    if "--anchored" in args:
        at = args.index("--anchored")
        revision, head = args[at + 1].split(":", 1)
        anchored = (int(revision), head)
        del args[at:at + 2]
    events = json.load(open(args[0], encoding="utf-8"))
    problem = verify(events, anchored)
    if problem:
        print(problem)
        sys.exit(1)
    print(f"VALID: {len(events)} events, head {events[-1]['hash'] if events else '-'}")


if __name__ == "__main__":
    main()
