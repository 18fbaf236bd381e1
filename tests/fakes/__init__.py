"""Local HTTP fakes of the outside services Mentorgraph talks to, served on 127.0.0.1 for the tests."""
