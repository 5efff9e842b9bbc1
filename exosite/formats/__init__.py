"""Date formats per interface language (settings.FORMAT_MODULE_PATH).

Templates format dates by name (`{{ d|date:"DATE_FORMAT" }}`), so each language reads
naturally: "7 December 2026" in English, "7 de diciembre de 2026" in Spanish.
"""
