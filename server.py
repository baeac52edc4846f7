"""WSGI entry point: `waitress-serve server:app` or `flask --app server run`; `kg serve` is the usual way."""
from kg.web import create_app

app = create_app()
