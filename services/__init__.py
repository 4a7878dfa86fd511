"""Write services: small keyword-only functions, each one transaction. No Flask."""
