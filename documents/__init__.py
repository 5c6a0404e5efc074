"""Documents people file, print and trust: PDF letters and reports rendered from Jinja2 templates
(templates/documents/) with WeasyPrint, in the reader's language, tagged (PDF/UA-1), with their
parameters, generation date, page numbers and the log's chain head in the footer."""
