"""Reads a Pulumi Python program with the standard library's `ast` (nothing is imported or run)
and prints, as JSON, what test/multilangExamples.test.ts checks against schema.json: the modules
imported under an alias, every call of `<alias>.<Name>(...)` at the top level of a statement with
its arguments, and every attribute read from a variable such a call was assigned to.

Values: {"call": Name, "args": [...], "kwargs": {...}} for `<alias>.Name(...)`,
{"enum": Type, "member": MEMBER} for `<alias>.Type.MEMBER`, {"const": v}, {"list": [...]},
{"dict": [[key, value], ...]}, {"config": "string" | "number" | "boolean"} for a
`pulumi.Config` read, else {"expr": source}.
"""
import ast
import json
import sys

CONFIG_READS = {
    "require": "string", "get": "string", "require_secret": "string", "get_secret": "string",
    "require_int": "number", "get_int": "number", "require_float": "number", "get_float": "number",
    "require_bool": "boolean", "get_bool": "boolean",
}


def main(path):
    tree = ast.parse(open(path, encoding="utf-8").read(), filename=path)
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for name in node.names:
                aliases[name.asname or name.name] = name.name
    configs = set()
    resources = {}
    calls = []
    reads = []

    def value(node):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in aliases and aliases[f.value.id] != "pulumi":
                return {"call": f.attr, "module": aliases[f.value.id], "args": [value(a) for a in node.args],
                        "kwargs": {k.arg: value(k.value) for k in node.keywords if k.arg is not None}}
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in configs and f.attr in CONFIG_READS:
                return {"config": CONFIG_READS[f.attr]}
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and isinstance(node.value.value, ast.Name) \
                and node.value.value.id in aliases:
            return {"enum": node.value.attr, "member": node.attr}
        if isinstance(node, ast.Constant):
            return {"const": node.value}
        if isinstance(node, ast.List):
            return {"list": [value(e) for e in node.elts]}
        if isinstance(node, ast.Dict):
            return {"dict": [[value(k), value(v)] for k, v in zip(node.keys, node.values)]}
        return {"expr": ast.unparse(node)}

    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
            f = stmt.value.func
            if isinstance(f, ast.Attribute) and f.attr == "Config" and isinstance(f.value, ast.Name) and aliases.get(f.value.id) == "pulumi":
                configs.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
                continue
        call = stmt.value if isinstance(stmt, (ast.Assign, ast.Expr)) else None
        if isinstance(call, ast.Call):
            v = value(call)
            if "call" in v:
                calls.append(v)
                if isinstance(stmt, ast.Assign):
                    for t in stmt.targets:
                        if isinstance(t, ast.Name):
                            resources[t.id] = v["call"]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in resources:
            reads.append({"resource": resources[node.value.id], "attribute": node.attr})
    print(json.dumps({"imports": aliases, "calls": calls, "reads": reads}))


if __name__ == "__main__":
    main(sys.argv[1])
