"""HTML as page objects read it: parsing into plain lxml trees, visible text, compiled CSS selectors."""
