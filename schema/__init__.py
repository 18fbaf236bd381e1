"""The GraphQL layer: translates between GraphQL and domain calls; no SQL and no business rules."""
