#!/usr/bin/env python3
"""Generate the fixed-arity `def` overloads of the runtime.

Swift's parameter packs would express `def` in one declaration, but the
optimiser (Swift 6.3) does not specialise conversions inside a pack
expansion: every argument went through a protocol witness and a metadata
lookup, 2x slower than C.  One overload per arity is fully specialised in
the user's module.  Run `python3 utils/generate_arities.py` after editing;
the output is committed.
"""
from pathlib import Path

MAX_ARITY = 12
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Sources/SwiftBind/Functions/ModuleBuilder+Def.swift"
OUT_JOB = ROOT / "Sources/SwiftBind/Concurrency/ModuleBuilder+Job.swift"
OUT_ASYNC = ROOT / "Sources/SwiftBind/Concurrency/ModuleBuilder+Async.swift"
# Methods, initializers, static and class methods of ClassBuilder: the same
# specialisation, with the receiver (or class) in slot 0.
CLASS_MAX_ARITY = 8
CLASS_OUT = ROOT / "Sources/SwiftBind/Classes/ClassBuilder+Methods.swift"
# Distinct C entry points for methods (see MethodSlots.swift): CPython's
# method descriptors carry no closure, so each method gets its own function.
METHOD_SLOTS = 256
SLOTS_OUT = ROOT / "Sources/SwiftBind/Classes/MethodSlots+Trampolines.swift"


def overload(n: int, returns: bool) -> str:
    gen = [f"A{i}: FromPython" for i in range(n)]
    if returns:
        gen.append("R: ToPython")
    generics = f"<{', '.join(gen)}>" if gen else ""
    params = ", ".join(f"A{i}" for i in range(n))
    ret = "R" if returns else "Void"
    infos = ", ".join(f"ParameterInfo(A{i}.self)" for i in range(n))
    lines = [f"                let a{i} = try record.argument(A{i}.self, slots, {i})" for i in range(n)]
    args = ", ".join(f"a{i}" for i in range(n))
    call = f"return try body({args}).toPython().take()" if returns else f"try body({args})\n                return sb_newref(sb_None())"
    conv = "\n".join(lines)
    if conv:
        conv += "\n"
    doc = f"Declares a module function of {n} parameter{'s' if n != 1 else ''}" + ("." if returns else " that returns `None`.")
    returns_hint = ".of(R.self)" if returns else ".none"
    return f"""    /// {doc}
    @inlinable
    public func def{generics}(
        _ signature: String, doc: String? = nil, _ body: @escaping ({params}) throws -> {ret}
    ) {{
        register(signature, doc: doc, parameters: [{infos}], returns: {returns_hint}) {{ slots, record in
            do {{
{conv}                {call}
            }} catch {{
                return raiseInPython(error)
            }}
        }}
    }}
"""


def background(n: int, returns: bool, kind: str) -> str:
    """A `job` overload (body gets a JobContext last, runs on a job thread)
    or an `async` `def` overload (body runs as a Task)."""
    gen = [f"A{i}: FromPython & Sendable" for i in range(n)]
    if returns:
        gen.append("R: ToPython & Sendable")
    generics = f"<{', '.join(gen)}>" if gen else ""
    ret = "R" if returns else "Void"
    infos = ", ".join(f"ParameterInfo(A{i}.self)" for i in range(n))
    lines = [f"                    let a{i} = try record.argument(A{i}.self, slots, {i})" for i in range(n)]
    conv = "\n".join(lines)
    if conv:
        conv += "\n"
    plural = "s" if n != 1 else ""
    if kind == "job":
        params = ", ".join([f"A{i}" for i in range(n)] + ["JobContext"])
        args = ", ".join([f"a{i}" for i in range(n)] + ["job"])
        closure = f"@escaping @Sendable ({params}) throws -> {ret}"
        call = (f"{{ job in try body({args}) }}" if returns
                else f"{{ job in try body({args}); return PythonNone() }}")
        start = f"startJob(jobType, name) {call}"
        name = "job"
        doc = (f"Declares a background job of {n} parameter{plural}: the call returns a `Job` at once"
               + ("." if returns else "; its result is `None`."))
    else:
        params = ", ".join(f"A{i}" for i in range(n))
        args = ", ".join(f"a{i}" for i in range(n))
        closure = f"@escaping @Sendable ({params}) async throws -> {ret}"
        call = (f"{{ try await body({args}) }}" if returns
                else f"{{ try await body({args}); return PythonNone() }}")
        start = f"startTask(jobType, name) {call}"
        name = "def"
        doc = (f"Declares an async function of {n} parameter{plural}: the call starts a Swift task and returns an awaitable `Job`"
               + ("." if returns else "; its result is `None`."))
    if n:
        body = f"""                do {{
{conv}                    return {start}
                }} catch {{
                    return raiseInPython(error)
                }}"""
    else:
        body = f"                {start}"
    return f"""    /// {doc}
    @inlinable
    public func {name}{generics}(
        _ signature: String, doc: String? = nil, _ body: {closure}
    ) {{
        registerBackground(signature, doc: doc, parameters: [{infos}], returns: .job({'R' if returns else 'PythonNone'}.self)) {{ jobType, name in
            {{ slots, record in
{body}
            }}
        }}
    }}
"""


def write_background(kind: str, out: Path) -> None:
    what = ("`m.job(signature, doc:) { (a: A0, ..., job: JobContext) throws -> R in ... }`"
            if kind == "job" else
            "`m.def(signature, doc:) { (a: A0, ...) async throws -> R in ... }`")
    parts = [
        "// GENERATED by utils/generate_arities.py: do not edit by hand.\n",
        "//",
        f"// {what}",
        f"// for 0 to {MAX_ARITY} parameters.  See ModuleBuilder+Concurrency.swift.\n",
        "extension ModuleBuilder {",
    ]
    for n in range(MAX_ARITY + 1):
        parts.append(background(n, True, kind))
        parts.append(background(n, False, kind))
    parts.append("}\n")
    out.write_text("\n".join(parts))
    print(f"wrote {out.relative_to(ROOT)}")


# kind -> (public name, closure receiver, register call, first argument slot)
CLASS_KINDS = {
    "initializer": ("initializer", None, "addInitializer(signature, doc: doc, parameters: [{infos}])", 1),
    "method": ("method", "T", "addMethod(signature, doc: doc, parameters: [{infos}], returns: {returns})", 1),
    "mutating": ("mutatingMethod", "inout T", "addMethod(signature, doc: doc, parameters: [{infos}], returns: {returns})", 1),
    "static": ("staticMethod", None, "addStatic(signature, doc: doc, parameters: [{infos}], returns: {returns}, classMethod: false)", 0),
    "class": ("classMethod", "PythonObject", "addStatic(signature, doc: doc, parameters: [{infos}], returns: {returns}, classMethod: true)", 1),
}


def class_overload(kind: str, n: int, returns: bool) -> str:
    public, receiver, register, first = CLASS_KINDS[kind]
    gen = [f"A{i}: FromPython" for i in range(n)]
    if returns and kind != "initializer":
        gen.append("R: ToPython")
    generics = f"<{', '.join(gen)}>" if gen else ""
    params = [f"A{i}" for i in range(n)]
    if receiver:
        params.insert(0, receiver)
    ret = "T" if kind == "initializer" else ("R" if returns else "Void")
    info_list = [f"ParameterInfo(A{i}.self)" for i in range(n)]
    if kind == "class":
        info_list.insert(0, "ParameterInfo(PythonObject.self)")
    lines = []
    if kind in ("method", "mutating"):
        lines.append("let receiver = try cls.receiver(T.self, of: slots.unsafelyUnwrapped[0].unsafelyUnwrapped)")
    if kind == "class":
        lines.append("let cls = try record.argument(PythonObject.self, slots, 0)")
    lines += [f"let a{i} = try record.argument(A{i}.self, slots, {i + first})" for i in range(n)]
    args = [f"a{i}" for i in range(n)]
    if kind == "method":
        args.insert(0, "receiver.pointee")
    elif kind == "mutating":
        args.insert(0, "&receiver.pointee")
    elif kind == "class":
        args.insert(0, "cls")
    call = f"body({', '.join(args)})"
    if kind == "initializer":
        lines.append(f"cls.initialize(slots.unsafelyUnwrapped[0].unsafelyUnwrapped, with: try {call})")
        lines.append("return sb_newref(sb_None())")
    elif returns:
        lines.append(f"return try {call}.toPython().take()")
    else:
        lines += [f"try {call}", "return sb_newref(sb_None())"]
    body = "\n".join("                " + ln for ln in lines)
    what = {"initializer": "an initializer", "method": "a method", "mutating": "a mutating method",
            "static": "a static method", "class": "a class method"}[kind]
    doc = f"Declares {what} of {n} parameter{'s' if n != 1 else ''}"
    doc += "." if returns else " that returns `None`."
    capture = "        let cls = record\n" if kind in ("method", "mutating", "initializer") else ""
    return f"""    /// {doc}
    @inlinable
    public func {public}{generics}(
        _ signature: String, doc: String? = nil, _ body: @escaping ({', '.join(params)}) throws -> {ret}
    ) {{
{capture}        {register.format(infos=', '.join(info_list), returns=".of(R.self)" if returns else ".none")} {{ slots, record in
            do {{
{body}
            }} catch {{
                return raiseInPython(error)
            }}
        }}
    }}
"""


def generate_class_methods() -> None:
    parts = [
        "// GENERATED by utils/generate_arities.py: do not edit by hand.\n",
        "//",
        "// `c.initializer`, `c.method`, `c.mutatingMethod`, `c.staticMethod` and",
        f"// `c.classMethod` for 0 to {CLASS_MAX_ARITY} parameters besides the receiver.",
        "// See ClassBuilder.swift for what they do.\n",
        "extension ClassBuilder {",
    ]
    for kind in CLASS_KINDS:
        for n in range(CLASS_MAX_ARITY + 1):
            parts.append(class_overload(kind, n, True))
            if kind != "initializer":
                parts.append(class_overload(kind, n, False))
    parts.append("}\n")
    CLASS_OUT.write_text("\n".join(parts))
    print(f"wrote {CLASS_OUT.relative_to(ROOT)}")


def generate_method_slots() -> None:
    lines = [
        "// GENERATED by utils/generate_arities.py: do not edit by hand.\n",
        f"// {METHOD_SLOTS} distinct METH_FASTCALL|METH_KEYWORDS entry points, one per",
        "// method slot; each forwards to the FunctionRecord in its slot.",
        "// See MethodSlots.swift.\n",
        "let methodSlotTrampolines: [MethodSlotTrampoline] = [",
    ]
    for k in range(METHOD_SLOTS):
        lines.append(f"    {{ s, a, n, k in MethodSlots.call({k}, s, a, n, k) }},")
    lines.append("]\n")
    SLOTS_OUT.write_text("\n".join(lines))
    print(f"wrote {SLOTS_OUT.relative_to(ROOT)}")


def main() -> None:
    parts = [
        "// GENERATED by utils/generate_arities.py: do not edit by hand.\n",
        "//",
        "// `m.def(signature, doc:) { (a: A0, b: A1, ...) in ... }` for 0 to "
        f"{MAX_ARITY} parameters.",
        "// See ModuleBuilder+Functions.swift for what `def` does.\n",
        "extension ModuleBuilder {",
    ]
    for n in range(MAX_ARITY + 1):
        parts.append(overload(n, True))
        parts.append(overload(n, False))
    parts.append("}\n")
    OUT.write_text("\n".join(parts))
    print(f"wrote {OUT.relative_to(ROOT)}")
    write_background("job", OUT_JOB)
    write_background("async", OUT_ASYNC)
    generate_class_methods()
    generate_method_slots()


if __name__ == "__main__":
    main()
