#!/usr/bin/env node
// Committed launcher, so package managers can link the command before dist/ is built.
require("../dist/main.js");
