/** A page of the client: mounts into the main element and returns a function that tears it down. */
export interface View {
  /** zh title shown in the navigation and the document title. */
  title: string;
  mount(root: HTMLElement): Promise<() => void>;
}
