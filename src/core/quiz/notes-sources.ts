// The study notes as a person names them: each file's title (a book, a talk, a tutorial) and, for
// the books, the chapter each cited heading sits in. A citation reads "Kubernetes: Up and Running,
// chapter 5, Pods: "Health Checks"", not a file name. A test keeps the chapters true to the notes.
export interface NotesSource {
  title: string;
  /** Heading → the chapter it belongs to. */
  chapters?: Record<string, string>;
}

export const NOTES_SOURCES: Record<string, NotesSource> = {
  '000_b44c87d83669d31f.txt': {
    title: 'Kubernetes study notes',
  },
  '001_109c03d2a4c17646.txt': {
    title: 'Kubernetes in a Month of Lunches',
    chapters: {
      "Accessing a container's file system": 'chapter 2, Running containers in Kubernetes with Pods and Deployments',
      'Defining deployments in application manifests': 'chapter 2, Running containers in Kubernetes with Pods and Deployments',
      'Deleting pods, deployments': 'chapter 2, Running containers in Kubernetes with Pods and Deployments',
      'How Kubernetes routes network traffic': 'chapter 3, Connecting Pods over the Network with Services',
      'How Kubernetes runs and manages containers': 'chapter 2, Running containers in Kubernetes with Pods and Deployments',
      'Routing external traffic into pods': 'chapter 3, Connecting Pods over the Network with Services',
      'Routing traffic between pods': 'chapter 3, Connecting Pods over the Network with Services',
      'Routing traffic outside Kubernetes': 'chapter 3, Connecting Pods over the Network with Services',
      'Run command in a pod': 'chapter 2, Running containers in Kubernetes with Pods and Deployments',
      'Running pods with controllers': 'chapter 2, Running containers in Kubernetes with Pods and Deployments',
      'Understanding Kubernetes service resolution': 'chapter 3, Connecting Pods over the Network with Services',
      'View logs': 'chapter 2, Running containers in Kubernetes with Pods and Deployments',
      'Working with applications in pods': 'chapter 2, Running containers in Kubernetes with Pods and Deployments',
      'deployment.yaml': 'chapter 2, Running containers in Kubernetes with Pods and Deployments',
      'pod.yaml': 'chapter 2, Running containers in Kubernetes with Pods and Deployments',
    },
  },
  '002_026ea4e5c9bb7924.txt': {
    title: 'Kubernetes: Up and Running',
    chapters: {
      'Abstracting your Infrastrcuture': 'chapter 1, Intro',
      'Accessing your Pod': 'chapter 5, Pods',
      'Checking Cluster Status': 'chapter 3, Deploying a Kubernetes Cluster',
      'Cluster Components': 'chapter 3, Deploying a Kubernetes Cluster',
      'Contexts': 'chapter 4, Common Kubectl Commands',
      'Creating a Pod Manifest': 'chapter 5, Pods',
      'Creating a Pod': 'chapter 5, Pods',
      'Creating, Updating and Destroying Kubernetes Objects': 'chapter 4, Common Kubectl Commands',
      'Debugging Commands': 'chapter 4, Common Kubectl Commands',
      'Declarative Configuration': 'chapter 1, Intro',
      'Deleting a Pod': 'chapter 5, Pods',
      'Describe': 'chapter 4, Common Kubectl Commands',
      'Easy Scaling': 'chapter 1, Intro',
      'Get': 'chapter 4, Common Kubectl Commands',
      'Getting Help': 'chapter 4, Common Kubectl Commands',
      'Health Checks': 'chapter 5, Pods',
      'Image Security': 'chapter 2, Creating and Running Containers',
      'Immutability': 'chapter 1, Intro',
      'Kubectl File': 'chapter 4, Common Kubectl Commands',
      'Kubernetes DNS': 'chapter 3, Deploying a Kubernetes Cluster',
      'Kubernetes Proxy': 'chapter 3, Deploying a Kubernetes Cluster',
      'Labeling and Annotating Objects': 'chapter 4, Common Kubectl Commands',
      'Limiting CPU Usage': 'chapter 2, Creating and Running Containers',
      'Limiting Memory Usage': 'chapter 2, Creating and Running Containers',
      'List Worker Nodes': 'chapter 3, Deploying a Kubernetes Cluster',
      'Listing Pods': 'chapter 5, Pods',
      'Namespaces': 'chapter 4, Common Kubectl Commands',
      'Patterns for Using Data in your Application': 'chapter 5, Pods',
      'Persisting Data with Volumes': 'chapter 5, Pods',
      'Persisting data using remote disks': 'chapter 5, Pods',
      'Pod Details': 'chapter 5, Pods',
      'Pod Manifest': 'chapter 5, Pods',
      'Pods in Kubernetes': 'chapter 5, Pods',
      'Putting it all Together': 'chapter 5, Pods',
      'Resource Management': 'chapter 5, Pods',
      'Resource Requests': 'chapter 5, Pods',
      'Scaling Development Teams with Microservices': 'chapter 1, Intro',
      'Self-Headling Systems': 'chapter 1, Intro',
      'Storing Images in a Remote Repo': 'chapter 2, Creating and Running Containers',
      'Thinking with Pods': 'chapter 5, Pods',
      'Types of Health Checks': 'chapter 5, Pods',
      'Using Volumes with Pods': 'chapter 5, Pods',
      'Viewing Kubernetes API Objects': 'chapter 4, Common Kubectl Commands',
    },
  },
  '003_dd2242a19d25c0d1.txt': {
    title: 'a Kubernetes talk to a DevOps meetup',
  },
  '004_e4fbba2f862c9c63.txt': {
    title: "Wilson Mar's Kubernetes tutorial",
  },
};
