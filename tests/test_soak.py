"""A 10-second `kg bench --soak` (the full one runs 5 minutes): no unexpected 5xx, no lost write, the runaway
queries stopped and the server idle after their deadlines."""
from web_support import template_store


def test_short_soak(tmp_path_factory):
    from kg.bench.soak import soak

    result = soak(10, clients=32, store=str(template_store(tmp_path_factory)), timeout=1.0)
    assert result.requests > 50 and result.unexpected_5xx == 0, result.lines()
    assert result.writes_acknowledged > 0 and result.writes_lost == 0, result.lines()
    assert result.runaway_stopped > 0 and result.cpu_after_runaways < 0.25, result.lines()
