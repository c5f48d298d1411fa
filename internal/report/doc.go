// Package report holds what epiplan's self-contained HTML pages share: the
// scenario report (report.html, package scenarios) and the fit to data
// (fit.html, package infer).
//
// [New] returns a template that has the shared pieces, for a page to parse its
// own text into:
//
//   - the function svg, which inlines a plot drawn by gonum/plot;
//   - the template "style", the base stylesheet's rules, which a page calls
//     inside its <style> element and follows with rules of its own;
//   - the template "figures", a <figure> for each element of a list whose
//     elements have the fields SVG (the drawing) and Title (its caption).
//
// [Thousands] writes the large figures of the pages' tables.
package report
