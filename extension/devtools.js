// Runs once per DevTools window: adds the why401 panel (panel.html). The
// panel is the only page of the extension that does anything.
chrome.devtools.panels.create("why401", "icons/why401-32.png", "panel.html");
