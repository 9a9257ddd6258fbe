/** The signed-in token, kept for this browser tab only (sessionStorage), and the chosen language (localStorage). */
const TOKEN_KEY = 'aftersales.console.token';
const LANGUAGE_KEY = 'aftersales.console.language';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

export const savedLanguage = {
  read: (): string | null => localStorage.getItem(LANGUAGE_KEY),
  write: (language: string) => localStorage.setItem(LANGUAGE_KEY, language),
};
