from kg.mapping.iris import Minter, slug


def test_entity_iris_are_deterministic_and_distinct():
    m = Minter("http://example.org/")
    assert m.entity("Person", "vladimir putin") == m.entity("Person", "vladimir putin")
    assert m.entity("Person", "vladimir putin") == "http://example.org/entity/person/vladimir-putin"
    assert m.entity("Place", "georgia") != m.entity("Organisation", "georgia")
    # names that slug alike stay distinct
    assert m.entity("Organisation", "at&t") != m.entity("Organisation", "at t")
    assert m.entity("Place", "x", qid="Q159") == "http://example.org/entity/Q159"


def test_article_iris_are_stable_and_unique_for_any_identifier():
    m = Minter("http://example.org/")
    a = m.article("corpus/a b.txt")
    assert a == m.article("corpus/a b.txt") and " " not in a
    assert m.article("a/b") != m.article("a_b")
    assert slug("Škoda Ünïcode") == "skoda-unicode"
    assert Minter.fragment(a, 3, 9) == a + "#char=3,9"
