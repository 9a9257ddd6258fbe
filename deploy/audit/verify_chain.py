#!/usr/bin/env python3
"""Verify a case's hash chain independently of the service.

Usage: curl -s $API/cases/$CASE/events -H "Authorization: Bearer $AUDITOR" > events.json
       python3 deploy/audit/verify_chain.py events.json

Each event's hash is SHA-256 (hex) over: the previous event's hash (64 zeros for the first), a newline, and the
canonical JSON (keys sorted at every level, no whitespace, UTF-8) of
{streamId, eventId, type, schemaVersion, data, metadata}. Exit code 0 when the chain holds, 1 with the first
broken link otherwise. See docs/audit-trail.md.
"""
import hashlib
import json
import sys


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def verify(events):
    prev = "0" * 64
    for expected_revision, event in enumerate(events):
        stream_id = event["streamId"]
        if event["revision"] != expected_revision:
            return f"BROKEN at revision {expected_revision}: revision gap (found {event['revision']})"
        payload = canonical({
            "streamId": stream_id,
            "eventId": event["eventId"],
            "type": event["type"],
            "schemaVersion": event["schemaVersion"],
            "data": event["data"],
            "metadata": event["metadata"],
        })
        digest = hashlib.sha256((prev + "\n" + payload).encode("utf-8")).hexdigest()
        if event["prevHash"] != prev:
            return f"BROKEN at revision {event['revision']}: previous hash {event['prevHash']} should be {prev}"
        if event["hash"] != digest:
            return f"BROKEN at revision {event['revision']}: hash {event['hash']} should be {digest}"
        prev = digest
    return None


def main():
    events = json.load(open(sys.argv[1], encoding="utf-8"))
    problem = verify(events)
    if problem:
        print(problem)
        sys.exit(1)
    print(f"VALID: {len(events)} events, head {events[-1]['hash'] if events else '-'}")


if __name__ == "__main__":
    main()
