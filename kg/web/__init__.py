"""The SPARQL endpoint and web UI as a Flask application: `create_app(config)` builds it (server.py exposes one).

Blueprints: sparql (SPARQL 1.1 Protocol, /sparql and /update), gsp (Graph Store Protocol, /store), describe
(VoID), named (named queries), pages (entity/article pages), ui (query page, /health), ingest (POST /ingest).
"""
from __future__ import annotations

import threading

from flask import Flask

from . import config as web_config


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(web_config.from_env())
    if config:
        app.config.update(config)
    web_config.normalise_config(app.config)
    app.config["MAX_CONTENT_LENGTH"] = app.config["KG_MAX_BODY"]
    app.config["MAX_FORM_MEMORY_SIZE"] = app.config["KG_MAX_BODY"]
    app.json.sort_keys = False
    app.extensions["kg_slots"] = threading.BoundedSemaphore(app.config["KG_MAX_RUNNING_QUERIES"])

    from . import describe, gsp, http, ingest, named, pages, resource, sparql, ui
    from .links import init_app as init_links

    resource.init_app(app)
    http.init_app(app)
    init_links(app)
    for module in (sparql, gsp, describe, named, pages, ui, ingest):
        app.register_blueprint(module.bp)
    return app


__all__ = ["create_app"]
