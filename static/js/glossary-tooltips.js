// Placeholder: the glossary tooltip script is being written.
