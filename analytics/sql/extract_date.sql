{{/* The latest extract date of the committed absence imports (NULL: none). */ -}}
SELECT max(extract_date) FROM imports WHERE kind = 'absence' AND status = 'committed'
