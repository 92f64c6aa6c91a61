// Package knowledge is what the analyzer knows, as data: the vendor files
// (analyzer/vendors), the API error files (analyzer/apis), the generic and
// named fixes (fixes.json), the causes (causes.json: priority and wording),
// the verdict kinds' words (kinds.json), the actions (actions.json) and the
// detectors' word lists (words.json), decoded strictly (an unknown key, a
// wrong type or a duplicate id fails with the file's name), with the
// vocabulary they are written in: the verdict kinds, Fix and Snippet.
// README.md says what each file holds and how to extend it.
//
// It decides nothing and matches nothing: the detectors compile the rules,
// the verdict chooses among the fixes. It imports no other stage.
package knowledge
