// Package report is the analyzer's last stage: the Report every door
// consumes (its types and their JSON, docs/report.md), Build, which writes
// one exchange's verdict and fixes into it with every string passed through
// the secret scrubber, the Summarizer that counts the exchanges as they are
// reported, and the text and markdown renderings. It decides nothing: the
// verdict is made before it, and a report it built is never changed.
package report
