import { installTabLocale } from '$lib/i18n/tab-locale.js';

// Before anything renders: this tab keeps its own language (see tab-locale.ts).
installTabLocale();
