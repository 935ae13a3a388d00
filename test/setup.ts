// Imported before every test file, as every entry point imports it first.
import '../src/shims/promise-with-resolvers.js';
