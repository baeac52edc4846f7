// The query editor: CodeMirror 6 with the SPARQL mode, completion of prefixes and ontology terms,
// an error marker at a line and column, Ctrl-Enter to run. Exposed as window.KGEditor.
import { EditorView, basicSetup } from "codemirror";
import { keymap } from "@codemirror/view";
import { StreamLanguage } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { autocompletion } from "@codemirror/autocomplete";
import { setDiagnostics, lintGutter } from "@codemirror/lint";

function completer(prefixes, terms) {
  // prefixes: {name: iri}; terms: ["kg:Person", ...] (curies of our ontology and the common vocabularies)
  const prefixOptions = Object.entries(prefixes).map(([p, iri]) => ({
    label: "PREFIX " + p + ":", apply: "PREFIX " + p + ": <" + iri + ">", type: "keyword", detail: iri,
  }));
  const termOptions = terms.map((t) => ({ label: t.curie, type: t.kind, detail: t.label || "" }));
  return (context) => {
    const word = context.matchBefore(/[A-Za-z][\w-]*:?[\w-]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const line = context.state.doc.lineAt(context.pos);
    const options = /^\s*p(r(e(f(ix?)?)?)?)?$/i.test(line.text.slice(0, context.pos - line.from))
      ? prefixOptions : termOptions.concat(prefixOptions);
    return { from: word.from, options, validFor: /^[\w:-]*$/ };
  };
}

export function create(parent, doc, { prefixes = {}, terms = [], onRun = () => {}, onChange = () => {} } = {}) {
  const run = () => { onRun(); return true; };
  const view = new EditorView({
    doc,
    parent,
    extensions: [
      keymap.of([{ key: "Mod-Enter", run }, { key: "Shift-Enter", run }]),
      basicSetup,
      StreamLanguage.define(sparql),
      autocompletion({ override: [completer(prefixes, terms)] }),
      lintGutter(),
      EditorView.lineWrapping,
      EditorView.updateListener.of((u) => { if (u.docChanged) onChange(); }),
    ],
  });
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
    // line and column are 1-based (as the server reports them); null clears the marker
    setError(line, column, message) {
      if (line == null) { view.dispatch(setDiagnostics(view.state, [])); return; }
      const doc = view.state.doc;
      const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
      // the parser may point just past the end of the line: mark its last character then
      const from = Math.max(Math.min(l.from + Math.max(column - 1, 0), l.to - 1), l.from);
      const to = Math.min(from + 1, l.to);
      view.dispatch(setDiagnostics(view.state, [{ from, to, severity: "error", message }]));
    },
  };
}
