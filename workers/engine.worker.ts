/// <reference lib="webworker" />
// A thin worker entry: the engine from src/core behind comlink, typed arrays moved rather than copied.
import { expose, transfer } from 'comlink';
import { createEngine } from '../src/core/engine-api';

expose(createEngine({ transfer }));
