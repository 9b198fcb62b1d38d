// A store for a reducer that also asks for effects. Unlike useReducer's state, which a handler
// sees only after React renders again, an action here is applied at once: the next key, however
// soon it comes, is decided on what the last one did.

export interface Store<S, A, E> {
  getState(): S;
  /** For useSyncExternalStore: called after each change of state. */
  subscribe(listener: () => void): () => void;
  /** Applies the action and returns the effects the reducer asked for, for the caller to perform. */
  dispatch(action: A): E[];
}

export function createStore<S, A, E>(reducer: (state: S, action: A) => { state: S; effects: E[] }, initial: S): Store<S, A, E> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    dispatch(action) {
      const next = reducer(state, action);
      if (next.state !== state) {
        state = next.state;
        for (const listener of listeners) listener();
      }
      return next.effects;
    },
  };
}
