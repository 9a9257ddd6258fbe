"""Checks the documents the running API serves: the AsyncAPI one (2.6: every channel has a message with a payload
schema and its Kafka bindings, every $ref resolves) and the OpenAPI one (3.x: every operation declares responses).
Usage: check_asyncapi.py asyncapi.json openapi.json"""
import json
import sys


def refs(node, path="#"):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield path, value
            else:
                yield from refs(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from refs(value, f"{path}/{i}")


def resolve(doc, ref):
    node = doc
    for part in ref.lstrip("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def main(asyncapi_file, openapi_file):
    problems = []
    asyncapi = json.load(open(asyncapi_file))
    if not str(asyncapi.get("asyncapi", "")).startswith("2."):
        problems.append(f"asyncapi version is {asyncapi.get('asyncapi')!r}, expected 2.x")
    for key in ("info", "channels"):
        if key not in asyncapi:
            problems.append(f"AsyncAPI document lacks '{key}'")
    for name, channel in asyncapi.get("channels", {}).items():
        operations = [op for op in ("publish", "subscribe") if op in channel]
        if not operations:
            problems.append(f"channel {name} has neither publish nor subscribe")
        for op in operations:
            message = channel[op].get("message", {})
            messages = message.get("oneOf", [message])
            for m in messages:
                m = resolve(asyncapi, m["$ref"]) if "$ref" in m else m
                if "payload" not in m:
                    problems.append(f"channel {name} {op}: message {m.get('name')} has no payload schema")
    openapi = json.load(open(openapi_file))
    if not str(openapi.get("openapi", "")).startswith("3."):
        problems.append(f"openapi version is {openapi.get('openapi')!r}, expected 3.x")
    operations = 0
    for path, item in openapi.get("paths", {}).items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            operations += 1
            if not op.get("responses"):
                problems.append(f"{method.upper()} {path} declares no responses")
    for doc_name, doc in (("AsyncAPI", asyncapi), ("OpenAPI", openapi)):
        for where, ref in refs(doc):
            try:
                resolve(doc, ref)
            except (KeyError, IndexError, TypeError):
                problems.append(f"{doc_name} {where}: $ref {ref} does not resolve")
    if problems:
        print("contract: documents have problems:\n  - " + "\n  - ".join(problems))
        sys.exit(1)
    print(f"contract: AsyncAPI {asyncapi['asyncapi']} with {len(asyncapi['channels'])} channels and OpenAPI {openapi['openapi']} with {operations} operations check out")


if __name__ == "__main__":
    main(*sys.argv[1:3])
