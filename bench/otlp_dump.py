#!/usr/bin/env python3
"""Prints the spans of ExportTraceServiceRequest files written by `OtlpSink --dump DIR` (name, kind, status, attributes).

    python3 bench/otlp_dump.py DIR [--keys]     --keys: one line per span name with its sorted attribute keys
"""
import os
import struct
import sys

KINDS = {0: "UNSPECIFIED", 1: "INTERNAL", 2: "SERVER", 3: "CLIENT", 4: "PRODUCER", 5: "CONSUMER"}


def varint(data, i):
    value = shift = 0
    while True:
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, i


def fields(data):
    i = 0
    while i < len(data):
        key, i = varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(data, i)
        elif wire == 1:
            value, i = data[i:i + 8], i + 8
        elif wire == 5:
            value, i = data[i:i + 4], i + 4
        elif wire == 2:
            length, i = varint(data, i)
            value, i = data[i:i + length], i + length
        else:
            raise ValueError(f"wire type {wire}")
        yield number, wire, value


def any_value(data):
    for number, wire, value in fields(data):
        if number == 1:
            return value.decode()
        if number == 2:
            return bool(value)
        if number == 3:
            return value if value < 1 << 63 else value - (1 << 64)
        if number == 4:
            return struct.unpack("<d", value)[0]
        if number == 5:
            return [any_value(v) for n, w, v in fields(value) if n == 1]
    return None


def key_value(data):
    key = value = None
    for number, wire, v in fields(data):
        if number == 1:
            key = v.decode()
        elif number == 2:
            value = any_value(v)
    return key, value


def spans(data):
    for n1, _, resource_spans in fields(data):
        if n1 != 1:
            continue
        for n2, _, scope_spans in fields(resource_spans):
            if n2 != 2:
                continue
            scope = ""
            for n3, _, value in fields(scope_spans):
                if n3 == 1:
                    scope = next((v.decode() for n, w, v in fields(value) if n == 1), "")
                elif n3 == 2:
                    span = {"scope": scope, "attributes": {}, "events": []}
                    for n, w, v in fields(value):
                        if n == 5:
                            span["name"] = v.decode()
                        elif n == 6:
                            span["kind"] = KINDS.get(v, v)
                        elif n == 9:
                            k, val = key_value(v)
                            span["attributes"][k] = val
                        elif n == 11:
                            span["events"].append(next((e.decode() for en, ew, e in fields(v) if en == 2), ""))
                        elif n == 15:
                            span["status"] = {f"{sn}": sv if not isinstance(sv, bytes) else sv.decode() for sn, sw, sv in fields(v)}
                    yield span


def main():
    directory = sys.argv[1]
    keys_only = "--keys" in sys.argv
    seen = set()
    for name in sorted(os.listdir(directory)):
        with open(os.path.join(directory, name), "rb") as f:
            for span in spans(f.read()):
                if keys_only:
                    line = f"{span['scope']} {span.get('kind')} {span.get('name')}: {' '.join(sorted(span['attributes']))}"
                    if line not in seen:
                        seen.add(line)
                        print(line)
                else:
                    print(span)


if __name__ == "__main__":
    main()
