// Package knowledge is what the analyzer knows, as data: the vendor files
// (analyzer/vendors), the API error files (analyzer/apis) and the generic
// fixes (fixes.json), decoded strictly (an unknown key, a wrong type or a
// duplicate id fails with the file's name), with the vocabulary they are
// written in: the verdict kinds, Fix and Snippet.
//
// It decides nothing and matches nothing: the detectors compile the rules,
// the verdict chooses among the fixes. It imports no other stage.
package knowledge
