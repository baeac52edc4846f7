"""The `kg` command: one click group (main), one module per verb or verb family; the library never
imports click."""
