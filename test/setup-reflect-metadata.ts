// Loaded by jest (setupFiles) before every test file so that NestJS decorators
// (@Injectable, @Module, ...) can read and write design-time metadata.
import 'reflect-metadata';
