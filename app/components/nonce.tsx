import { createContext, useContext } from "react";

// The CSP nonce exists only on the server render; browsers hide it from the DOM afterwards.
const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
