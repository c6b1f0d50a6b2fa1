"""Applications and written-exam scores in and out of CSV and XLSX files: reading a file,
checking its rows, importing, exporting. Callers import the module they need."""
