"""POST /ingest: articles as text/plain (metadata in the query string) or JSON (one object, a list, or
{"articles": [...]}), extracted and stored at once; answers the ingest summary with the article IRIs."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request

from ..readers.article import Article
from ..errors import InputError
from .http import require_token
from .resource import holder

bp = Blueprint("ingest", __name__)
FIELDS = ("title", "date", "id", "url", "source")


def _article(record: dict, where: str) -> Article | InputError:
    if not isinstance(record, dict):
        return InputError(where, "expected a JSON object with a 'text' field")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(where, "no 'text' (a non-empty string)")
    meta = {k: (str(record[k]) if record.get(k) is not None else None) for k in FIELDS}
    return Article(identifier=meta.pop("id") or None, text=text, **meta)  # no id or url: identified by its text


def articles() -> list[Article | InputError]:
    if request.mimetype == "text/plain":
        charset = request.mimetype_params.get("charset", "utf-8")
        try:
            text = request.get_data().decode(charset)
        except (UnicodeDecodeError, LookupError):
            abort(400, f"the body is not valid {charset} text")
        return [_article({"text": text, **{k: request.args.get(k) for k in FIELDS}}, "body")]
    if request.mimetype == "application/json":
        data = request.get_json(silent=True)
        if data is None:
            abort(400, "the body is not valid JSON")
        records = data.get("articles", data) if isinstance(data, dict) else data
        records = records if isinstance(records, list) else [records]
        return [_article(r, f"article {i}") for i, r in enumerate(records)]
    abort(415, "send text/plain (title, date, id, url, source in the query string) or application/json")


@bp.route("/ingest", methods=["POST"])
def ingest():
    require_token()
    items = articles()
    with holder().writing() as kg:
        summary = kg.ingest(items, force=request.args.get("force") in ("1", "true"),
                            workers=current_app.config["KG_INGEST_WORKERS"])
        if summary.written:
            from ..feeds.run import record_updates

            record_updates(kg, [request.base_url])  # the graph changed through this endpoint
    return jsonify(summary.as_dict()), 200 if summary.written or summary.unchanged else 400
