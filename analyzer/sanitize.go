package analyzer

// sanitizedMark is the part of every placeholder why401 sanitize writes.
const sanitizedMark = "why401-redacted"
