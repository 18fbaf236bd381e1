"""RFC 5545 calendars: the embedded calendar integration that needs no Google or Microsoft account."""
