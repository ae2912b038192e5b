"""Functions and arguments: positional, keywords, defaults, keyword-only,
positional-only, *args/**kwargs, docstrings and signatures."""
import inspect

import pytest

from conftest import load_fixture

fx = load_fixture("fx_functions")


def test_positional_and_keywords():
    assert fx.add(2, 3) == 5
    assert fx.add(a=2, b=3) == 5
    assert fx.add(2, b=3) == 5
    assert fx.add(b=3, a=2) == 5


def test_defaults_and_keyword_only():
    assert fx.kw(1) == 6
    assert fx.kw(1, 5) == 9
    assert fx.kw(1, b=5, c=7) == 13
    assert fx.kw(1, c=10) == 13
    with pytest.raises(TypeError, match=r"kw\(\) takes from 1 to 2 positional arguments but 3 were given"):
        fx.kw(1, 2, 3)


def test_string_defaults():
    assert fx.greet("Bob") == "Hello, Bob!"
    assert fx.greet("Ann", greeting="Hi") == "Hi, Ann!"
    assert fx.greet(name="Ann", greeting="Yo") == "Yo, Ann!"


def test_positional_only():
    assert fx.posonly(1, 2) == [1, 2, 10]
    assert fx.posonly(1, 2, c=3) == [1, 2, 3]
    with pytest.raises(TypeError, match="positional-only arguments passed as keyword arguments: 'a, b'"):
        fx.posonly(a=1, b=2)


def test_optional_parameter():
    assert fx.optional() is None
    assert fx.optional(None) is None
    assert fx.optional(21) == 42
    with pytest.raises(TypeError, match=r"optional\(\) argument 'x' must be int or None, not str"):
        fx.optional("x")


def test_varargs_and_varkw():
    assert fx.varargs(1) == 1
    assert fx.varargs(1, 2, 3, 4) == 10
    assert fx.varkw(1) == (1, [], 0)
    assert fx.varkw(1, x=2, y=3) == (1, ["x", "y"], 5)
    assert fx.passthrough() == ((), {})
    args, kwargs = fx.passthrough(1, "two", k=[3])
    assert args == (1, "two") and kwargs == {"k": [3]}


def test_varargs_conversion_errors_name_the_parameter():
    with pytest.raises(TypeError, match=r"varargs\(\) argument 'rest' item \[1\] must be int, not str"):
        fx.varargs(1, 2, "x")
    with pytest.raises(TypeError, match=r"varkw\(\) argument 'options' item \['x'\] must be int, not str"):
        fx.varkw(1, x="s")


@pytest.mark.parametrize("call, message", [
    (lambda: fx.add(1), r"add\(\) missing required argument 'b' \(pos 2\)"),
    (lambda: fx.add(), r"add\(\) missing required arguments 'a' \(pos 1\), 'b' \(pos 2\)"),
    (lambda: fx.add(1, 2, 3), r"add\(\) takes 2 positional arguments but 3 were given"),
    (lambda: fx.add(1, c=2), r"add\(\) got an unexpected keyword argument 'c'"),
    (lambda: fx.add(1, a=2), r"add\(\) got multiple values for argument 'a'"),
    (lambda: fx.add("1", 2), r"add\(\) argument 'a' must be int, not str"),
    (lambda: fx.add(1, 2.5), r"add\(\) argument 'b' must be int, not float"),
    (lambda: fx.scale("s"), r"scale\(\) argument 'x' must be float, not str"),
    (lambda: fx.greet(1), r"greet\(\) argument 'name' must be str, not int"),
    (lambda: fx.noop(1), r"noop\(\) takes 0 positional arguments but 1 was given"),
])
def test_bad_calls_raise_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_keyword_names_compared_by_value():
    # Keyword names built at run time are not the interned parameter names.
    name = "".join(["gree", "ting"])
    assert fx.greet("Bob", **{name: "Hey"}) == "Hey, Bob!"


def test_text_signatures():
    assert str(inspect.signature(fx.add)) == "(a, b)"
    assert str(inspect.signature(fx.kw)) == "(a, b=2, *, c=3)"
    assert str(inspect.signature(fx.greet)) == "(name, greeting='Hello')"
    assert str(inspect.signature(fx.posonly)) == "(a, b, /, c=10)"
    assert str(inspect.signature(fx.varkw)) == "(a, **options)"
    assert str(inspect.signature(fx.noop)) == "()"


def test_docstrings_and_names():
    # The first line is the signature with the types derived from Swift
    # (what help() shows; inspect.signature keeps the plain text signature).
    assert fx.add.__doc__ == "add(a: int, b: int) -> int\n\nAdd two integers."
    assert fx.kw.__doc__ == "kw(a: int, b: int = 2, *, c: int = 3) -> int\n\nSum with defaults."
    assert fx.nodoc.__doc__ == "nodoc(x: int) -> int"
    assert fx.add.__name__ == "add"
    assert fx.add.__module__ == "fx_functions"
    assert fx.__doc__ == "Fixture: functions and arguments."
    assert "add(a, b)" in fx.add.__text_signature__ or fx.add.__text_signature__ == "(a, b)"


def test_help_shows_signature_and_doc():
    text = inspect.getdoc(fx.kw)
    assert text == "kw(a: int, b: int = 2, *, c: int = 3) -> int\n\nSum with defaults."
    import pydoc
    rendered = pydoc.render_doc(fx.kw, renderer=pydoc.plaintext)
    assert "built-in function kw in module fx_functions" in rendered
    assert "kw(a, b=2, *, c=3)" in rendered


def test_functions_pickle_by_reference():
    import pickle
    assert pickle.loads(pickle.dumps(fx.add)) is fx.add
    assert fx.add.__self__.__name__ == "fx_functions"
