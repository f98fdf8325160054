/**
 * Cedar (a WASM module of ~13 MB resident, ~0.2 s to load) is loaded by the first policy operation,
 * not at start-up: a server whose projects never reach the policy step does not hold it. Every
 * async entry point (`PolicyEngine.forProject`, `PolicyService`) awaits `loadCedar()`; the
 * synchronous code under them then uses `cedar()`.
 */
type Cedar = typeof import('@cedar-policy/cedar-wasm/nodejs');

let loaded: Cedar | undefined;
let loading: Promise<Cedar> | undefined;

export function loadCedar(): Promise<Cedar> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= import('@cedar-policy/cedar-wasm/nodejs').then((m) => {
    loaded = m;
    return m;
  });
  return loading;
}

export function cedar(): Cedar {
  if (!loaded) throw new Error('Cedar used before loadCedar() resolved');
  return loaded;
}
